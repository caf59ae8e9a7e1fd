// The zstd chunk-size sweep of BENCHMARKS.md ("Cold columns: zstd"): cuts one raw buffer file into
// chunks of CHUNK bytes, compresses each at LEVEL with colfile's own zstd calls (Sources/CColFile/
// zstd.c: content size and checksum in every frame), then times decoding all chunks (best of 5) and
// one random chunk (best of 5 × 200), and prints the stored size (index entries included) and ratio.
//
//   cc -O2 -I Sources/CColFile/include Tools/bench/zstd-chunks.c Sources/CColFile/zstd.c -o /tmp/zstd-chunks -lpthread
//   /tmp/zstd-chunks BUFFER.raw LEVEL CHUNK
//
// Tools/bench/codecs.py --keep-raw writes the raw buffers of the benchmark's three columns
// (int, float, text offsets, text values) to its --dir.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include "CColFile.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  colfile_zstd_load();
  FILE*f=fopen(argv[1],"rb"); fseek(f,0,SEEK_END); size_t n=ftell(f); fseek(f,0,SEEK_SET);
  unsigned char*buf=malloc(n); fread(buf,1,n,f); fclose(f);
  int level=atoi(argv[2]); size_t chunk=atol(argv[3]);
  size_t K=(n+chunk-1)/chunk; unsigned char**cc=malloc(K*sizeof(void*)); size_t*cl=malloc(K*sizeof(size_t)); size_t tot=0;
  for(size_t k=0;k<K;k++){size_t len=k==K-1?n-k*chunk:chunk; size_t b=colfile_zstd_compress_bound(len); cc[k]=malloc(b); cl[k]=colfile_zstd_compress(cc[k],b,buf+k*chunk,len,level); tot+=cl[k]+24;}
  unsigned char*out=malloc(n); double best=1e9;
  for(int r=0;r<5;r++){double t0=now();for(size_t k=0;k<K;k++){size_t len=k==K-1?n-k*chunk:chunk;size_t r2=colfile_zstd_decompress(out+k*chunk,len,cc[k],cl[k]);if(r2!=len){printf("err\n");return 2;}}double t=now()-t0;if(t<best)best=t;}
  if(memcmp(out,buf,n))return 3;
  double one=1e9; uint64_t s=1; for(int r=0;r<5;r++){double t0=now(); for(int j=0;j<200;j++){s=s*6364136223846793005ULL+1; size_t k=(s>>33)%(K>1?K-1:1); colfile_zstd_decompress(out,chunk,cc[k],cl[k]);} double t=(now()-t0)/200; if(t<one)one=t;}
  printf("%s level=%d chunk=%zuK stored=%zu ratio=%.4f decode=%.0f MB/s time=%.4f s onechunk=%.1f us\n",argv[1],level,chunk/1024,tot,(double)tot/n,n/best/1e6,best,one*1e6);
}
