// Whether writing through a shared mapping of the new file, with the CRC-32 of each 1 MiB piece
// taken from the copy just made (so the source arrays are read once, not twice), beats write(2)
// with the checksum on a second thread (the writer's way) for a page-cache write. Tried, not kept:
// BENCHMARKS.md, "Session 23". Each write makes a new file (the old one removed, then sync(2)),
// 2 x ROWS x 8 bytes from arrays on huge pages; modes rotate round by round; wall ms per write.
//   write     fallocate + one pwrite per array (np.save's way), no checksum
//   writecrc  the same with the CRC-32 of each array on a second thread (the writer's way)
//   mmap      fallocate, mmap(MAP_SHARED), memcpy in 1 MiB pieces, munmap
//   mmapcrc   mmap + the CRC-32 of each piece read back from the copy (in cache)
//   popcrc    mmapcrc with madvise(MADV_POPULATE_WRITE) of each piece before its copy
//   pop1crc   mmapcrc with one MADV_POPULATE_WRITE of the whole file first
//   cc -O2 -Wall -I Sources/CColFile/include Tools/bench/mmap-write.c Sources/CColFile/crc32.c -lz -lpthread -o /tmp/mmap-write
//   /tmp/mmap-write DIR ROWS ROUNDS     (BENCHMARKS: /var/tmp/bench 100000000 5)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "CColFile.h"
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static size_t N; static char *A[2]; static const char *dir;
#define PIECE (1<<20)
static void fresh(const char*p){unlink(p);sync();}
struct ct{const char*b;size_t n;uint32_t c;};
static void*crcth(void*a){struct ct*c=a;c->c=colfile_crc32(0,c->b,c->n);return 0;}
static double mode_write(const char*p,int crc){
  double t=now(); int fd=open(p,O_CREAT|O_TRUNC|O_WRONLY,0644);
  size_t off=0; for(int k=0;k<2;k++){ fallocate(fd,FALLOC_FL_KEEP_SIZE,off,N);
    pthread_t th; struct ct c={A[k],N,0}; if(crc) pthread_create(&th,0,crcth,&c);
    size_t w=0; while(w<N){ssize_t r=pwrite(fd,A[k]+w,N-w,off+w); if(r<=0){perror("w");exit(1);} w+=r;}
    if(crc) pthread_join(th,0);
    off+=N;}
  close(fd); return now()-t;}
static double mode_mmap(const char*p,int crc,int populate){
  double t=now(); int fd=open(p,O_CREAT|O_TRUNC|O_RDWR,0644); size_t tot=2*N;
  fallocate(fd,0,0,tot);
  char*m=mmap(0,tot,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0); if(m==MAP_FAILED){perror("mmap");exit(1);}
  if(populate) madvise(m,tot,MADV_POPULATE_WRITE);
  uint32_t c=0; for(int k=0;k<2;k++){ char*d=m+k*N; for(size_t o=0;o<N;o+=PIECE){size_t n=N-o<PIECE?N-o:PIECE;
      if(populate==2) madvise(d+o,n,MADV_POPULATE_WRITE);
      memcpy(d+o,A[k]+o,n); if(crc) c=colfile_crc32(c,d+o,n);}}
  munmap(m,tot); close(fd); if(c==1)puts("");return now()-t;}
int main(int argc,char**argv){ dir=argv[1]; N=strtoull(argv[2],0,10)*8; int rounds=atoi(argv[3]);
  for(int k=0;k<2;k++){A[k]=aligned_alloc(1<<21,N); madvise(A[k],N,MADV_HUGEPAGE); memset(A[k],k+1,N); for(size_t i=0;i<N;i+=4096)A[k][i]=(char)i;}
  char p[512]; snprintf(p,512,"%s/mw.bin",dir);
  const char*names[]={"write","writecrc","mmap","mmapcrc","popcrc","pop1crc"};
  for(int r=0;r<rounds;r++){ for(int m0=0;m0<6;m0++){int m=(m0+r)%6; fresh(p); double s;
      switch(m){case 0:s=mode_write(p,0);break;case 1:s=mode_write(p,1);break;case 2:s=mode_mmap(p,0,0);break;
        case 3:s=mode_mmap(p,1,0);break;case 4:s=mode_mmap(p,1,2);break;default:s=mode_mmap(p,1,1);}
      printf("%s %.1f\n",names[m],s*1e3); fflush(stdout);} }
  unlink(p); return 0;}
